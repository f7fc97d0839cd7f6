//! The `covenant` command-line tool.

fn main() {
    std::process::exit(covenant_cli_placeholder());
}

fn covenant_cli_placeholder() -> i32 {
    eprintln!("covenant: the command-line interface lands with the solvers");
    2
}
