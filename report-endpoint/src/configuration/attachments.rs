//! `[attachments]`: the files a report may carry, and how many are processed at once.

use serde::Deserialize;

/// How many files, how large, and how many are processed at once (the `[attachments]`
/// section of the configuration).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttachmentSettings {
    /// Files per report; 0 turns attachments off (a file is then refused).
    pub max_files: usize,
    /// Largest single file, in bytes.
    pub max_file_bytes: usize,
    /// Largest sum of the files of one report, in bytes.
    pub max_total_bytes: usize,
    /// Reports with files stripped and sealed at the same time; others wait their turn.
    /// Each holds its files several times over in memory while it is sealed. Four times as
    /// many bodies with files may be read at once (each holds its files once).
    pub max_concurrent: usize,
    /// Time allowed for a POST that carries files, body included (a 25 MiB upload over
    /// Tor takes minutes). Every other request keeps `application.request_timeout_secs`.
    pub upload_timeout_secs: u64,
}

impl Default for AttachmentSettings {
    fn default() -> Self {
        Self {
            max_files: 5,
            max_file_bytes: 10 * MIB,
            max_total_bytes: 25 * MIB,
            max_concurrent: 2,
            upload_timeout_secs: 300,
        }
    }
}

const MIB: usize = 1024 * 1024;

impl AttachmentSettings {
    /// Refuses limits that contradict each other.
    pub fn check(&self) -> Result<(), String> {
        if self.max_files > 0 && self.max_file_bytes > self.max_total_bytes {
            return Err(format!(
                "attachments.max_file_bytes ({}) is larger than attachments.max_total_bytes ({})",
                self.max_file_bytes, self.max_total_bytes
            ));
        }
        if self.max_concurrent == 0 {
            return Err("attachments.max_concurrent must be at least 1".into());
        }
        Ok(())
    }

    /// The most bytes a multipart request body is read for: the files, plus room for the
    /// text fields and the multipart framing. Past it the request is refused unread.
    pub fn body_limit(&self, text_limit: usize) -> usize {
        // Four times the files' limit: a visitor who picked too much still gets the form
        // back with their text (the body is read to its end, files discarded), while a
        // body far beyond any real upload is cut off.
        self.max_total_bytes
            .saturating_mul(4)
            .saturating_add(text_limit)
    }

    /// How many bodies that may carry files are read at once: four per sealing turn, so
    /// slow uploads (over Tor, minutes each) do not keep the others from being sealed.
    pub fn reading_turns(&self) -> usize {
        self.max_concurrent.max(1).saturating_mul(4)
    }

    /// The size limits in whole MiB, for messages.
    pub fn max_file_mib(&self) -> usize {
        self.max_file_bytes.div_ceil(MIB)
    }

    pub fn max_total_mib(&self) -> usize {
        self.max_total_bytes.div_ceil(MIB)
    }
}
