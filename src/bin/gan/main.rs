//! The `gan` binary. The CLI is native; on wasm (where `wasm-pack test` builds every target)
//! this is an empty program: the browser's entry is `src/web/`.

#[cfg(not(target_arch = "wasm32"))]
mod bench;
#[cfg(not(target_arch = "wasm32"))]
mod classifier;
#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod grid_png;
#[cfg(not(target_arch = "wasm32"))]
mod sweep;
#[cfg(not(target_arch = "wasm32"))]
mod train;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    keep_freed_memory();
    cli::main()
}

/// glibc hands every freed block over 128 KiB back to the kernel, so each op's output of a
/// step (a batch of activations is 128 KiB to a few MB) came from freshly mapped, zeroed pages:
/// page faults, and with both cores busy, TLB shootdowns. Kept in the heap, they are reused
/// (docs/experiments/2026-11-27-cpu-vs-pytorch.md has the before and after).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_freed_memory() {
    // glibc's largest mmap threshold on 64-bit; a larger value is refused.
    const MAX_MMAP_THRESHOLD: i32 = 32 << 20;
    // SAFETY: mallopt only sets allocator parameters; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MAX_MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 4 * MAX_MMAP_THRESHOLD);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
