//! One note's text -> a contact, or why it is not one.
