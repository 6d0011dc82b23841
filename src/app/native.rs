//! Native file dialogs (rfd through the XDG desktop portal on Linux), run on their own thread
//! so a slow or missing portal never blocks the window; the answer arrives on a channel.

use crate::export::{ExportFormat, ExportOptions};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// What a dialog was opened for.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    Open,
    SaveAs,
    /// Write an export there, with these options.
    Export(ExportFormat, ExportOptions),
}

/// A dialog that answers faster than this was never shown (no portal): say so.
const TOO_FAST_FOR_A_PERSON: Duration = Duration::from_millis(250);

#[derive(Default)]
pub struct NativeDialogs {
    pending: Option<(Purpose, Receiver<Option<PathBuf>>, Instant)>,
}

/// The answer of a dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Chosen(Purpose, PathBuf),
    Cancelled,
    /// It closed at once: most likely no desktop portal is running.
    Unavailable,
}

const DEFINITION_EXTENSIONS: [&str; 3] = ["json", "yaml", "yml"];

impl NativeDialogs {
    pub fn is_open(&self) -> bool {
        self.pending.is_some()
    }

    /// Opens a dialog (one at a time); `suggested` is the file name a save dialog proposes.
    pub fn open(&mut self, ctx: &egui::Context, purpose: Purpose, suggested: Option<String>) {
        if self.pending.is_some() {
            return;
        }
        let (sender, receiver) = channel();
        let ctx = ctx.clone();
        let for_thread = purpose.clone();
        let spawned = std::thread::Builder::new()
            .name("file-dialog".into())
            .spawn(move || {
                let mut dialog = rfd::FileDialog::new();
                if let Some(name) = &suggested {
                    dialog = dialog.set_file_name(name);
                }
                let path = match for_thread {
                    Purpose::Open => dialog
                        .add_filter("State machines and templates", &DEFINITION_EXTENSIONS)
                        .add_filter("All files", &["*"])
                        .pick_file(),
                    Purpose::SaveAs => dialog
                        .add_filter("ASL definition", &DEFINITION_EXTENSIONS)
                        .save_file(),
                    Purpose::Export(..) => dialog
                        .add_filter("Template", &["yaml", "yml", "json"])
                        .save_file(),
                };
                let _ = sender.send(path);
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.pending = Some((purpose, receiver, Instant::now()));
        }
    }

    /// The answer of the open dialog, once there is one.
    pub fn poll(&mut self) -> Option<Answer> {
        let (_, receiver, _) = self.pending.as_ref()?;
        let path = match receiver.try_recv() {
            Ok(path) => path,
            Err(TryRecvError::Empty) => return None,
            // The dialog thread died (no portal, no display).
            Err(TryRecvError::Disconnected) => None,
        };
        let (purpose, _, opened) = self.pending.take()?;
        Some(match path {
            Some(path) => Answer::Chosen(purpose, path),
            None if opened.elapsed() < TOO_FAST_FOR_A_PERSON => Answer::Unavailable,
            None => Answer::Cancelled,
        })
    }
}
