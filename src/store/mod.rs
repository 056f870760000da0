//! store layer
