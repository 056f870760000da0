//! Command line: parse arguments, call store and batch, print.

pub fn main() -> i32 {
    0
}
