//! What the fuzz targets share: an allocator that lets libFuzzer see every allocation (so
//! `-malloc_limit_mb` works without a sanitizer), fuzzed chunk sizes, and small helpers for the
//! targets' hand-made input layouts (which fuzz/seeds.py writes).

pub mod gen;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

// libFuzzer checks each allocation against -malloc_limit_mb only through the malloc hooks a
// sanitizer runtime installs (`__sanitizer_install_malloc_and_free_hooks`). There is no
// sanitizer on stable Rust, so each target defines that function ([`malloc_hooks!`]):
// libFuzzer hands over its hooks and the global allocator below calls them. An allocation over
// the limit then ends the run as libFuzzer's own "out-of-memory (malloc(N))", with an `oom-`
// artifact.

pub type MallocHook = extern "C" fn(*const u8, usize);
pub type FreeHook = extern "C" fn(*const u8);

static MALLOC_HOOK: AtomicUsize = AtomicUsize::new(0);
static FREE_HOOK: AtomicUsize = AtomicUsize::new(0);

/// What `__sanitizer_install_malloc_and_free_hooks` does (see [`malloc_hooks!`]).
pub fn install_hooks(malloc_hook: Option<MallocHook>, free_hook: Option<FreeHook>) -> i32 {
    MALLOC_HOOK.store(malloc_hook.map_or(0, |f| f as usize), Ordering::SeqCst);
    FREE_HOOK.store(free_hook.map_or(0, |f| f as usize), Ordering::SeqCst);
    1
}

/// Defines `__sanitizer_install_malloc_and_free_hooks`, which libFuzzer declares weak and calls
/// at start-up. Each target invokes this: defined in this library, the function would not be
/// linked (a weak reference does not pull an object file out of an archive).
#[macro_export]
macro_rules! malloc_hooks {
    () => {
        #[no_mangle]
        pub extern "C" fn __sanitizer_install_malloc_and_free_hooks(
            malloc_hook: Option<$crate::MallocHook>,
            free_hook: Option<$crate::FreeHook>,
        ) -> i32 {
            $crate::install_hooks(malloc_hook, free_hook)
        }
    };
}

pub struct HookedAlloc;

fn on_malloc(ptr: *mut u8, size: usize) {
    let hook = MALLOC_HOOK.load(Ordering::Relaxed);
    if hook != 0 && !ptr.is_null() {
        // SAFETY: the value was stored from a `MallocHook` function pointer above.
        let f: MallocHook = unsafe { std::mem::transmute::<usize, MallocHook>(hook) };
        f(ptr, size);
    }
}

fn on_free(ptr: *mut u8) {
    let hook = FREE_HOOK.load(Ordering::Relaxed);
    if hook != 0 {
        // SAFETY: the value was stored from a `FreeHook` function pointer above.
        let f: FreeHook = unsafe { std::mem::transmute::<usize, FreeHook>(hook) };
        f(ptr);
    }
}

unsafe impl GlobalAlloc for HookedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // Report the request before making it, so an absurd size is caught before it is paid.
        on_malloc(std::ptr::NonNull::<u8>::dangling().as_ptr(), layout.size());
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        on_malloc(std::ptr::NonNull::<u8>::dangling().as_ptr(), layout.size());
        System.alloc_zeroed(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        on_free(ptr);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        on_malloc(std::ptr::NonNull::<u8>::dangling().as_ptr(), new_size);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOC: HookedAlloc = HookedAlloc;

/// xorshift64*: chunk sizes and other choices derived from a seed byte, reproducibly.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A value in `1..=max`.
    pub fn size(&mut self, max: usize) -> usize {
        1 + (self.next_u64() % max.max(1) as u64) as usize
    }
}

/// Splits `data` into chunks whose sizes come from `seed`: mode 0 is one chunk, others mix
/// single bytes, small and larger chunks (the framing code's boundary cases).
pub fn chunks(data: &[u8], seed: u8) -> Vec<&[u8]> {
    if seed == 0 || data.is_empty() {
        return vec![data];
    }
    let mut rng = Rng::new(seed as u64);
    let max = match seed % 4 {
        0 => 1,
        1 => 7,
        2 => 64,
        _ => 1024,
    };
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let n = rng.size(max).min(rest.len());
        let (a, b) = rest.split_at(n);
        out.push(a);
        rest = b;
    }
    out
}

/// Splits at the first `sep` byte: (before, after); all of it is `before` if there is none.
pub fn split_once(data: &[u8], sep: u8) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == sep) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}

/// FNV-1a, to compare outputs without keeping them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x100_0000_01b3);
        }
    }
}
