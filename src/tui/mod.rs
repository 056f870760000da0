//! tui layer
