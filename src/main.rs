//! The `credence` binary: parse arguments, run, map the outcome to an exit code.

use clap::Parser;

// Structured mode builds and drops hundreds of thousands of small vectors and strings
// and several buffers of megabytes; mimalloc reuses freed memory where the system
// allocator returned it to the kernel and faulted it back in.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
