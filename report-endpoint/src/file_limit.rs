//! The open-file limit: every connection is a file descriptor, and the usual soft limit of
//! 1,024 is reached by a thousand idle or slow clients (a slowloris attack, or only a busy
//! evening behind a proxy), after which `accept` fails and a real tip cannot get through.
//!
//! At startup the soft limit is raised to the hard limit, which the service manager sets
//! (`LimitNOFILE=` in the systemd unit; `ulimit -Hn` in a shell): raising the soft limit up
//! to the hard one needs no privilege. Idle clients are still cut off by the header-read
//! timeout; this only makes room for them meanwhile.

/// The soft limit on open files before and after [`raise_to_hard_limit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileLimit {
    pub before: Option<u64>,
    pub after: Option<u64>,
}

/// Raises the soft `RLIMIT_NOFILE` to the hard limit. `None` stands for "unlimited".
#[cfg(unix)]
pub fn raise_to_hard_limit() -> std::io::Result<FileLimit> {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    if limit.current == limit.maximum {
        return Ok(FileLimit {
            before: limit.current,
            after: limit.current,
        });
    }
    setrlimit(
        Resource::Nofile,
        Rlimit {
            current: limit.maximum,
            maximum: limit.maximum,
        },
    )?;
    Ok(FileLimit {
        before: limit.current,
        after: getrlimit(Resource::Nofile).current,
    })
}

/// Elsewhere the platform's limit stays as it is.
#[cfg(not(unix))]
pub fn raise_to_hard_limit() -> std::io::Result<FileLimit> {
    Ok(FileLimit {
        before: None,
        after: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_soft_limit_ends_at_the_hard_limit() {
        let limit = raise_to_hard_limit().expect("raising up to the hard limit is allowed");
        let now = rustix::process::getrlimit(rustix::process::Resource::Nofile);
        assert_eq!(limit.after, now.current);
        assert_eq!(now.current, now.maximum);
        // A second call has nothing left to raise.
        assert_eq!(raise_to_hard_limit().expect("again").before, now.current);
    }
}
