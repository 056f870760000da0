//! jingong: register migrant workers, log the services the union delivers to them, and export
//! batches for the city union system. Layers point down only: cli/tui -> batch -> store -> domain.

pub mod batch;
#[cfg(feature = "city")]
pub mod city;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod logging;
pub mod receipt;
pub mod safe_text;
pub mod store;
pub mod text;
pub mod tui;
