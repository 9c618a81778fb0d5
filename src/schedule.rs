//! Who is due: pure functions of the contacts, the settings and today.
