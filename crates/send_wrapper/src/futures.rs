//! `Future` and `Stream` for a wrapped future or stream (feature `futures`).

use crate::SendWrapper;
use futures_core::Stream;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::task::{Context, Poll};

impl<F: Future> Future for SendWrapper<F> {
    type Output = F::Output;

    /// # Panics
    ///
    /// On a thread other than the one that made the wrapper.
    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.assert_valid_for_poll();
        // Safety: the wrapper holds the future in place, so pinned it pins the future.
        unsafe { self.map_unchecked_mut(Self::deref_mut) }.poll(cx)
    }
}

impl<S: Stream> Stream for SendWrapper<S> {
    type Item = S::Item;

    /// # Panics
    ///
    /// On a thread other than the one that made the wrapper.
    #[track_caller]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.assert_valid_for_poll();
        // Safety: the wrapper holds the stream in place, so pinned it pins the stream.
        unsafe { self.map_unchecked_mut(Self::deref_mut) }.poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.deref().size_hint()
    }
}
