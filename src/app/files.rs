//! Files, UI-free: reading a definition or a SAM/CloudFormation template, saving atomically,
//! the recent-files list, and recovery copies of unsaved work.

use crate::asl::document::{Document, Format, to_json_pretty};
use crate::export::{self, DeploymentSettings, FoundStateMachine};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Larger files are refused rather than freezing the window.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is larger than 64 MiB")]
    TooLarge { path: PathBuf },
    #[error("{path} looks like a SAM/CloudFormation template but: {message}")]
    Template { path: PathBuf, message: String },
    #[error("cannot save the deployment settings beside {path}: {message}")]
    Settings { path: PathBuf, message: String },
}

/// What opening a path produced.
#[derive(Debug)]
pub enum Opened {
    /// An ASL definition, ready to edit.
    Definition {
        text: String,
        format: Format,
        path: PathBuf,
        settings: Option<DeploymentSettings>,
    },
    /// A template holding state machines: the user picks one.
    Template {
        path: PathBuf,
        machines: Vec<FoundStateMachine>,
    },
}

pub fn read_text(path: &Path) -> Result<String, FileError> {
    let read_error = |source| FileError::Read {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size > MAX_FILE_BYTES {
        return Err(FileError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    std::fs::read_to_string(path).map_err(read_error)
}

/// Reads `path`: a definition, or a template whose state machines are listed.
pub fn open(path: &Path) -> Result<Opened, FileError> {
    let text = read_text(path)?;
    let format = Format::from_path(path);
    if looks_like_template(&text, format) {
        let machines = export::find_state_machines(&text, format, path.parent()).map_err(|e| {
            FileError::Template {
                path: path.to_path_buf(),
                message: e.to_string(),
            }
        })?;
        if machines.is_empty() {
            return Err(FileError::Template {
                path: path.to_path_buf(),
                message:
                    "it holds no AWS::Serverless::StateMachine or AWS::StepFunctions::StateMachine"
                        .into(),
            });
        }
        return Ok(Opened::Template {
            path: path.to_path_buf(),
            machines,
        });
    }
    // A broken sidecar must not stop the definition from opening.
    let settings = DeploymentSettings::load(path).ok().flatten();
    Ok(Opened::Definition {
        text,
        format,
        path: path.to_path_buf(),
        settings,
    })
}

/// A template has `Resources` and no `States` (a definition with syntax errors is not one).
fn looks_like_template(text: &str, format: Format) -> bool {
    Document::parse(text, format).is_ok_and(|doc| {
        let value = doc.value();
        value.get("Resources").is_some_and(Value::is_object) && value.get("States").is_none()
    })
}

/// The definition of a state machine picked from a template: its own file when the template
/// points to one (`DefinitionUri`, edited and saved in place), else the inline definition as a
/// new untitled document.
pub fn picked_definition(
    template: &Path,
    machine: &FoundStateMachine,
) -> Result<(String, Format, Option<PathBuf>), FileError> {
    if let Some(path) = &machine.definition_path {
        let text = read_text(path)?;
        return Ok((text, Format::from_path(path), Some(path.clone())));
    }
    if let Some(definition) = &machine.definition {
        return Ok((to_json_pretty(definition, "  ") + "\n", Format::Json, None));
    }
    let mut message = format!(
        "{} has no definition that can be opened",
        machine.logical_id
    );
    for note in &machine.notes {
        message.push_str("; ");
        message.push_str(note);
    }
    Err(FileError::Template {
        path: template.to_path_buf(),
        message,
    })
}

/// Writes the definition atomically, and the deployment settings beside it.
pub fn save(
    path: &Path,
    text: &str,
    settings: &DeploymentSettings,
    write_settings: bool,
) -> Result<(), FileError> {
    export::atomic_write(path, text.as_bytes()).map_err(|source| FileError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    if write_settings {
        settings.save(path).map_err(|e| FileError::Settings {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    }
    Ok(())
}

/// The most recently opened files, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecentFiles {
    pub paths: Vec<PathBuf>,
}

impl RecentFiles {
    pub const MAX: usize = 10;

    pub fn push(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.paths.retain(|p| p != &path);
        self.paths.insert(0, path);
        self.paths.truncate(Self::MAX);
    }

    pub fn remove(&mut self, path: &Path) {
        self.paths.retain(|p| p != path);
    }
}

/// A copy of unsaved work, written periodically and offered after a crash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// The file being edited (None for an untitled document).
    pub path: Option<PathBuf>,
    pub yaml: bool,
    pub text: String,
    /// Seconds since the Unix epoch.
    pub written_at: u64,
    /// The process that wrote it (a live process's copy is not a crash's).
    pub pid: u32,
    /// Where the copy is stored (set when listing).
    #[serde(skip)]
    pub file: PathBuf,
}

impl Recovery {
    pub fn format(&self) -> Format {
        if self.yaml {
            Format::Yaml
        } else {
            Format::Json
        }
    }
}

/// The recovery directory: one JSON file per running designer window.
#[derive(Debug, Clone)]
pub struct RecoveryStore {
    dir: PathBuf,
    file: PathBuf,
}

impl RecoveryStore {
    /// A store in `dir` for this process (`slot` tells several windows of one process apart).
    pub fn new(dir: PathBuf, slot: u64) -> Self {
        let file = dir.join(format!("recovery-{}-{slot}.json", std::process::id()));
        RecoveryStore { dir, file }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn write(&self, path: Option<&Path>, format: Format, text: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let record = Recovery {
            path: path.map(Path::to_path_buf),
            yaml: format == Format::Yaml,
            text: text.to_string(),
            written_at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            pid: std::process::id(),
            file: PathBuf::new(),
        };
        let json = serde_json::to_vec(&record).map_err(std::io::Error::other)?;
        export::atomic_write(&self.file, &json)
    }

    /// Deletes this window's copy (after a clean save or close).
    pub fn clear(&self) {
        // Nothing to do when it does not exist.
        let _ = std::fs::remove_file(&self.file);
    }

    /// Copies left by processes that are gone (crashed), newest first.
    pub fn orphans(&self) -> Vec<Recovery> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut found: Vec<Recovery> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json") && *p != self.file)
            .filter_map(|file| {
                let bytes = std::fs::read(&file).ok()?;
                let mut record: Recovery = serde_json::from_slice(&bytes).ok()?;
                record.file = file;
                Some(record)
            })
            .filter(|r| !process_alive(r.pid))
            .collect();
        found.sort_by_key(|r| std::cmp::Reverse(r.written_at));
        found
    }

    pub fn discard(record: &Recovery) {
        let _ = std::fs::remove_file(&record.file);
    }
}

/// Whether a process still runs (Linux: /proc; elsewhere only this one is known to).
fn process_alive(pid: u32) -> bool {
    pid == std::process::id()
        || (cfg!(target_os = "linux") && Path::new(&format!("/proc/{pid}")).exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_definitions_and_templates() {
        let dir = tempfile::tempdir().unwrap();
        let asl = dir.path().join("a.asl.json");
        std::fs::write(&asl, r#"{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}"#).unwrap();
        assert!(matches!(
            open(&asl).unwrap(),
            Opened::Definition {
                format: Format::Json,
                ..
            }
        ));

        let sam = dir.path().join("template.yaml");
        std::fs::write(
            &sam,
            "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Succeed\n",
        )
        .unwrap();
        let Opened::Template { machines, .. } = open(&sam).unwrap() else {
            panic!("a template");
        };
        assert_eq!(machines[0].logical_id, "Flow");
        let (text, format, file) = picked_definition(&sam, &machines[0]).unwrap();
        assert_eq!(format, Format::Json);
        assert!(file.is_none());
        assert!(text.contains("\"StartAt\": \"A\""));

        let empty = dir.path().join("empty.yaml");
        std::fs::write(&empty, "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n").unwrap();
        assert!(matches!(open(&empty), Err(FileError::Template { .. })));
        assert!(matches!(
            open(&dir.path().join("nope.json")),
            Err(FileError::Read { .. })
        ));
    }

    #[test]
    fn saves_atomically_with_settings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.asl.json");
        let settings = DeploymentSettings {
            tracing: true,
            ..Default::default()
        };
        save(&path, "{}", &settings, true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}");
        let loaded = DeploymentSettings::load(&path).unwrap().unwrap();
        assert!(loaded.tracing);
    }

    #[test]
    fn recent_files_are_unique_newest_first_and_bounded() {
        let mut recent = RecentFiles::default();
        for i in 0..12 {
            recent.push(Path::new(&format!("/nowhere/{i}.asl.json")));
        }
        recent.push(Path::new("/nowhere/5.asl.json"));
        assert_eq!(recent.paths.len(), RecentFiles::MAX);
        assert_eq!(recent.paths[0], Path::new("/nowhere/5.asl.json"));
        assert_eq!(
            recent
                .paths
                .iter()
                .filter(|p| p.ends_with("5.asl.json"))
                .count(),
            1
        );
    }

    #[test]
    fn recovery_copies_are_written_listed_and_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let store = RecoveryStore::new(dir.path().to_path_buf(), 1);
        store
            .write(
                Some(Path::new("/x/a.asl.yaml")),
                Format::Yaml,
                "StartAt: A\n",
            )
            .unwrap();
        // A live process's copy (this one, another window) is not offered.
        let other = RecoveryStore::new(dir.path().to_path_buf(), 2);
        assert!(other.orphans().is_empty());
        let written = std::fs::read(
            dir.path()
                .join(format!("recovery-{}-1.json", std::process::id())),
        )
        .unwrap();
        let mut dead: Recovery = serde_json::from_slice(&written).unwrap();
        assert_eq!(dead.text, "StartAt: A\n");
        assert_eq!(dead.format(), Format::Yaml);
        // The copy of a process that is gone (crashed) is.
        dead.pid = u32::MAX;
        std::fs::write(
            dir.path().join("recovery-dead.json"),
            serde_json::to_vec(&dead).unwrap(),
        )
        .unwrap();
        let found = other.orphans();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path.as_deref(), Some(Path::new("/x/a.asl.yaml")));
        RecoveryStore::discard(&found[0]);
        store.clear();
        assert!(other.orphans().is_empty());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
