//! batch layer

pub mod roster;
