//! `lunar`: parse the command line, run it, exit with its code.

#[global_allocator]
static HEAP: lunar::alloc::Counting = lunar::alloc::Counting;

fn main() -> std::process::ExitCode {
    let code = lunar::cli::run(
        std::env::args_os(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::ExitCode::from(code)
}
