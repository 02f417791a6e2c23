//! The `credence` binary: parse arguments, run, map the outcome to an exit code.

use clap::Parser;

fn main() {
    let cli = credence::cli::Cli::parse();
    let code = match credence::cli::execute(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("credence: error: {err:#}");
            2
        }
    };
    std::process::exit(code);
}
