//! batch layer
