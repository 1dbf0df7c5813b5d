//! Shared memory for processes: one anonymous `memfd` page, mapped by the parent and by the
//! children it starts afterwards (they inherit the descriptor). It has no name, so nothing is
//! ever left in `/dev/shm`. The page hands out its 64-byte-aligned slots either as atomics or,
//! for the deliberately racy experiment, as a `SharedWord` for `rt::racy`.

use crate::error::{LabError, Result};
use crate::rt::racy::SharedWord;
use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd};
use std::ptr::NonNull;
use std::sync::atomic::AtomicU64;

/// Shared memory for processes: an anonymous memfd, mapped, inherited by children.
pub struct SharedPage {
    fd: OwnedFd,
    /// Kept alive for `base`; unmapped on drop.
    _map: memmap2::MmapMut,
    /// The mapping's start, taken from `MmapMut::as_mut_ptr`, so writes through it are
    /// allowed.
    base: NonNull<u8>,
}

/// Bytes of the shared page.
const PAGE: usize = 4096;
/// Bytes between two slots: one cache line each.
const SLOT: usize = 64;

impl SharedPage {
    /// A new zeroed page that children started after this call inherit.
    pub fn create() -> Result<Self> {
        let fd = nix::sys::memfd::memfd_create(
            c"race-lab-shm",
            nix::sys::memfd::MemFdCreateFlag::empty(),
        )
        .map_err(|e| LabError::failed(format!("cannot create shared memory (memfd): {e}")))?;
        let file = File::from(fd.try_clone()?);
        file.set_len(PAGE as u64)?;
        SharedPage::new(map(&file)?, fd)
    }

    fn new(mut map: memmap2::MmapMut, fd: OwnedFd) -> Result<Self> {
        if map.len() < PAGE {
            return Err(LabError::failed(format!(
                "the shared memory is {} bytes, not a page",
                map.len()
            )));
        }
        let base = NonNull::new(map.as_mut_ptr())
            .ok_or_else(|| LabError::failed("the shared memory was mapped at address 0"))?;
        Ok(SharedPage {
            fd,
            _map: map,
            base,
        })
    }

    /// Opens the page a parent passed down as file descriptor `fd`.
    pub fn open_inherited(fd: i32) -> Result<Self> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(format!("/proc/self/fd/{fd}"))
            .map_err(|e| {
                LabError::failed(format!("cannot open inherited shared memory fd {fd}: {e}"))
            })?;
        let fd = OwnedFd::from(file.try_clone()?);
        SharedPage::new(map(&file)?, fd)
    }

    /// The descriptor number to pass to children.
    pub fn raw_fd(&self) -> i32 {
        self.fd.as_raw_fd()
    }

    /// The address of slot `slot`: in bounds, 8-byte aligned.
    fn slot_ptr(&self, slot: usize) -> NonNull<u64> {
        assert!(slot < PAGE / SLOT, "slot {slot} is outside the shared page");
        // SAFETY: `slot * SLOT + 8 <= PAGE` (checked above) and the mapping is at least
        // `PAGE` bytes (checked in `new`), so the offset stays inside one allocation.
        unsafe { self.base.add(slot * SLOT).cast::<u64>() }
    }

    /// The `slot`-th 64-byte-aligned `u64` of the page, as an atomic.
    pub fn atomic(&self, slot: usize) -> &AtomicU64 {
        // SAFETY: the pointer is inside the mapping and 8-byte aligned (`slot_ptr`; mappings
        // are page-aligned and slots 64 bytes apart). The returned reference borrows `self`,
        // so the mapping outlives it. Every process that touches this slot through `atomic`
        // uses atomic instructions only; the one exception, the deliberately racy
        // `--sync none` mode, goes through `racy_word` and is documented in `rt/racy.rs`.
        unsafe { AtomicU64::from_ptr(self.slot_ptr(slot).as_ptr()) }
    }

    /// Slot `slot` as a word for the deliberately racy accesses of `rt::racy`.
    pub fn racy_word(&self, slot: usize) -> SharedWord<'_> {
        // SAFETY: `SharedWord::new` asks for a pointer valid for volatile reads and writes of
        // a `u64` for the word's lifetime. `slot_ptr` is in bounds and aligned; the word
        // borrows `self`, so the mapping (unmapped only when the page drops) outlives it; and
        // the memfd is never truncated after `set_len`, so the bytes stay mapped. The data
        // race with other processes is the experiment, and the only thing left unsound.
        unsafe { SharedWord::new(self.slot_ptr(slot)) }
    }
}

fn map(file: &File) -> Result<memmap2::MmapMut> {
    // SAFETY: memmap2 requires that the file is not truncated or modified in ways that
    // invalidate Rust references while mapped. The memfd is private to the lab and its
    // children, is never truncated after `set_len`, and its bytes are only reached through
    // `SharedPage::atomic` (atomics) or the volatile accesses of `rt/racy.rs` — never
    // through `&`/`&mut` references to plain memory.
    unsafe { memmap2::MmapMut::map_mut(file) }
        .map_err(|e| LabError::failed(format!("cannot map shared memory: {e}")))
}
