//! A value kept as the bytes the parse cache holds it in, and decoded when asked: for the
//! parts of a contact that only a few people's pages or one command read (the words a draft
//! quotes, the tags), which decoding on every load of 30,000 notes showed in its profile and
//! in its memory.

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub struct Packed<T> {
    /// Empty for the default value.
    bytes: Box<[u8]>,
    of: PhantomData<fn() -> T>,
}

impl<T: Serialize + DeserializeOwned + Default + PartialEq> Packed<T> {
    pub fn new(value: &T) -> Packed<T> {
        if *value == T::default() {
            return Packed::default();
        }
        // Our own plain data always encodes.
        let bytes = postcard::to_allocvec(value).unwrap_or_default();
        Packed {
            bytes: bytes.into_boxed_slice(),
            of: PhantomData,
        }
    }

    pub fn get(&self) -> T {
        if self.bytes.is_empty() {
            return T::default();
        }
        // Made by `new`, or read back from the cache and checked against its checksum.
        postcard::from_bytes(&self.bytes).unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl<T> Default for Packed<T> {
    fn default() -> Self {
        Packed {
            bytes: Box::default(),
            of: PhantomData,
        }
    }
}

impl<T> Clone for Packed<T> {
    fn clone(&self) -> Self {
        Packed {
            bytes: self.bytes.clone(),
            of: PhantomData,
        }
    }
}

/// The same value encodes to the same bytes.
impl<T> PartialEq for Packed<T> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl<T> Eq for Packed<T> {}

impl<T: Serialize + DeserializeOwned + Default + PartialEq + std::fmt::Debug> std::fmt::Debug
    for Packed<T>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// The bytes in a format of bytes (the parse cache's); the value in one that people read.
impl<T: Serialize + DeserializeOwned + Default + PartialEq> Serialize for Packed<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            self.get().serialize(serializer)
        } else {
            serializer.serialize_bytes(&self.bytes)
        }
    }
}

impl<'de, T: Serialize + DeserializeOwned + Default + PartialEq> serde::Deserialize<'de>
    for Packed<T>
{
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Packed<T>, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Box<[u8]>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an encoded value")
            }

            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Box<[u8]>, E> {
                Ok(bytes.into())
            }
        }
        if deserializer.is_human_readable() {
            return Ok(Packed::new(&T::deserialize(deserializer)?));
        }
        Ok(Packed {
            bytes: deserializer.deserialize_bytes(Bytes)?,
            of: PhantomData,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_value_comes_back_from_bytes_and_from_json() {
        let tags = vec!["friend".to_owned(), "rivers".to_owned()];
        let packed = Packed::new(&tags);
        assert_eq!(packed.get(), tags);
        let cached: Packed<Vec<String>> =
            postcard::from_bytes(&postcard::to_allocvec(&packed).unwrap()).unwrap();
        assert_eq!(cached, packed);
        assert_eq!(cached.get(), tags);
        // A format people read gets the value, not the bytes.
        let json = serde_json::to_string(&packed).unwrap();
        assert_eq!(json, r#"["friend","rivers"]"#);
        assert_eq!(
            serde_json::from_str::<Packed<Vec<String>>>(&json).unwrap(),
            packed
        );
        // The default value takes no bytes, however it came.
        assert!(Packed::new(&Vec::<String>::new()).is_empty());
        assert_eq!(Packed::<Vec<String>>::default().get(), Vec::<String>::new());
    }
}
