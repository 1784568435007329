//! [send_wrapper](https://crates.io/crates/send_wrapper) 0.6 (MIT OR Apache-2.0, Thomas Keh),
//! patched in for the workspace (Cargo.toml's `[patch.crates-io]`): the same API and behaviour.
//!
//! A `SendWrapper<T>` may move between threads, but its value may only be used and dropped on
//! the thread that made it; elsewhere that panics. In wasm without atomics there is one thread,
//! so every access is valid: there the wrapper keeps no thread id and checks nothing, and
//! `std::thread::current` (its handle, its id counter and their panics, about 2 KB gzip of the
//! page's wasm) is not linked. Everywhere else it checks as the original does.

use std::fmt;
use std::mem::{self, ManuallyDrop};
use std::ops::{Deref, DerefMut};

#[cfg(feature = "futures")]
mod futures;

/// Whether the target has one thread only.
const ONE_THREAD: bool = cfg!(all(target_family = "wasm", not(target_feature = "atomics")));

#[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
type Thread = std::thread::ThreadId;
/// No thread id to keep: there is one thread.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
type Thread = ();

#[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
fn this_thread() -> Thread {
    std::thread::current().id()
}
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
fn this_thread() -> Thread {}

/// A wrapper that lets a non-`Send` value move between threads, as long as it is only used and
/// dropped on the thread that made it.
pub struct SendWrapper<T> {
    data: ManuallyDrop<T>,
    thread: Thread,
}

impl<T> SendWrapper<T> {
    /// Wraps `data`, owned by the current thread.
    pub fn new(data: T) -> SendWrapper<T> {
        SendWrapper {
            data: ManuallyDrop::new(data),
            thread: this_thread(),
        }
    }

    /// Whether the value can be used from the current thread.
    #[allow(clippy::unit_cmp)]
    pub fn valid(&self) -> bool {
        ONE_THREAD || self.thread == this_thread()
    }

    /// Takes the value out.
    ///
    /// # Panics
    ///
    /// On a thread other than the one that made the wrapper.
    #[track_caller]
    pub fn take(self) -> T {
        self.assert_valid_for_deref();
        // Without the wrapper's drop, which would drop `data` a second time.
        let mut this = ManuallyDrop::new(self);
        // Safety: the value may be used on this thread, and it is moved out only here and in drop.
        unsafe { ManuallyDrop::take(&mut this.data) }
    }

    #[track_caller]
    fn assert_valid_for_deref(&self) {
        if !self.valid() {
            invalid_deref()
        }
    }

    #[track_caller]
    #[cfg_attr(not(feature = "futures"), allow(dead_code))]
    fn assert_valid_for_poll(&self) {
        if !self.valid() {
            invalid_poll()
        }
    }
}

// Safety: the value is only reached on the thread that made it (checked where there are threads).
unsafe impl<T> Send for SendWrapper<T> {}
unsafe impl<T> Sync for SendWrapper<T> {}

impl<T> Deref for SendWrapper<T> {
    type Target = T;

    /// # Panics
    ///
    /// On a thread other than the one that made the wrapper.
    #[track_caller]
    fn deref(&self) -> &T {
        self.assert_valid_for_deref();
        &self.data
    }
}

impl<T> DerefMut for SendWrapper<T> {
    /// # Panics
    ///
    /// On a thread other than the one that made the wrapper.
    #[track_caller]
    fn deref_mut(&mut self) -> &mut T {
        self.assert_valid_for_deref();
        &mut self.data
    }
}

impl<T> Drop for SendWrapper<T> {
    /// Drops the value.
    ///
    /// # Panics
    ///
    /// On a thread other than the one that made the wrapper, unless the value's drop is trivial
    /// or the thread is already panicking.
    #[track_caller]
    fn drop(&mut self) {
        if !mem::needs_drop::<T>() || self.valid() {
            // Safety: the value may be dropped on this thread, and it is moved out only here and
            // in take.
            unsafe { ManuallyDrop::drop(&mut self.data) }
        } else {
            invalid_drop()
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for SendWrapper<T> {
    /// # Panics
    ///
    /// On a thread other than the one that made the wrapper.
    #[track_caller]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendWrapper")
            .field("data", self.deref())
            .field("thread_id", &self.thread)
            .finish()
    }
}

impl<T: Clone> Clone for SendWrapper<T> {
    /// # Panics
    ///
    /// On a thread other than the one that made the wrapper.
    #[track_caller]
    fn clone(&self) -> Self {
        Self::new(self.deref().clone())
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn invalid_deref() -> ! {
    panic!("Dereferenced SendWrapper<T> variable from a thread different to the one it has been created with.")
}

#[cold]
#[inline(never)]
#[track_caller]
#[cfg_attr(not(feature = "futures"), allow(dead_code))]
fn invalid_poll() -> ! {
    panic!("Polling SendWrapper<T> variable from a thread different to the one it has been created with.")
}

#[cold]
#[inline(never)]
#[track_caller]
fn invalid_drop() {
    // Not while unwinding (a deref on the wrong thread may be why): that would abort.
    if !std::thread::panicking() {
        panic!("Dropped SendWrapper<T> variable from a thread different to the one it has been created with.")
    }
}

#[cfg(test)]
mod tests {
    use super::SendWrapper;
    use std::rc::Rc;
    use std::thread;

    #[test]
    fn usable_on_its_thread() {
        let w = SendWrapper::new(Rc::new(42));
        assert!(w.valid());
        assert_eq!(**w, 42);
        assert_eq!(*w.clone().take(), 42);
    }

    #[test]
    fn another_thread_may_not_use_it() {
        let w = SendWrapper::new(Rc::new(42));
        let other = thread::spawn(move || {
            assert!(!w.valid());
            let _ = *w;
        });
        assert!(other.join().is_err());
    }

    #[test]
    fn another_thread_may_drop_a_trivial_value() {
        let w = SendWrapper::new(42);
        thread::spawn(move || drop(w)).join().unwrap();
    }

    #[test]
    fn another_thread_may_not_drop_the_value() {
        let w = SendWrapper::new(Rc::new(42));
        assert!(thread::spawn(move || drop(w)).join().is_err());
    }
}
