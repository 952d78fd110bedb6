//! End-to-end tests live in `tests/tests/`; this library holds the helpers they share
//! (finding the built binaries, starting SMTP and browsers on loopback).
