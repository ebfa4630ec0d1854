//! Decoding gives back every byte it allocated, on success and on error:
//! live heap bytes are counted by this test binary's global allocator (one
//! test in the binary; counts taken once the decoder's frame thread has
//! settled, the quietest of three rounds judged). rav1d's
//! `dav1d_picture_unref` left 48 bytes behind per picture until
//! `OwnedPicture`'s drop took them back.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed to the system allocator unchanged; only a
// counter is updated beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's contract, passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The AV1 payload of a small AVIF from ravif (its one `mdat`).
fn av1(width: usize, height: usize) -> Vec<u8> {
    let pixels: Vec<rgb::RGB8> = (0..width * height).map(|i| rgb::RGB8::new(i as u8, 64, 128)).collect();
    let avif = ravif::Encoder::new().with_speed(10).encode_rgb(imgref::Img::new(&pixels[..], width, height));
    let file = avif.unwrap().avif_file;
    let at = file.windows(4).position(|w| w == b"mdat").unwrap() - 4;
    let size = u32::from_be_bytes(file[at..at + 4].try_into().unwrap()) as usize;
    file[at + 8..at + size].to_vec()
}

#[test]
fn decoding_leaks_nothing() {
    let data = av1(64, 48);
    let once = || {
        edgepix_av1::decode(&data, 1 << 20, |p| assert_eq!((p.width, p.height), (64, 48))).unwrap();
        let _ = edgepix_av1::decode(&data[..data.len() / 2], 1 << 20, |_| ());
    };
    once(); // first-use allocations (thread state) out of the way
    // The decoder's frame thread may still be freeing when a call returns,
    // and the harness's own threads may allocate: each count waits for
    // things to settle, and a leak shows in every round (48 bytes a
    // picture: 4800 a round), so the quietest round counts.
    let settled = || {
        std::thread::sleep(std::time::Duration::from_millis(100));
        LIVE.load(Ordering::Relaxed)
    };
    let rounds: Vec<isize> = (0..3)
        .map(|_| {
            let before = settled();
            for _ in 0..100 {
                once();
            }
            settled() - before
        })
        .collect();
    let grown = rounds.iter().map(|g| g.abs()).min().unwrap();
    assert!(grown < 256, "100 decodes left {rounds:?} bytes allocated");
}
