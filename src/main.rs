fn main() {
    std::process::exit(jingong::cli::main());
}
