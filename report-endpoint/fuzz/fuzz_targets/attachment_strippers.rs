//! Fuzzes the metadata strippers (`attachments::strip`): JPEG segments and scans, PNG and
//! WebP chunks, the PDF object tree, office packages. The first bytes pick the stripper, so
//! the fuzzer reaches every one of them from its magic number.
//!
//! Any panic is a crash (the endpoint catches them, but a panic is still a bug). So is a
//! stripped file that does not strip again to the same kind: what reaches the unit must be
//! a readable file of the kind the tipster was told.

#![no_main]

use libfuzzer_sys::fuzz_target;
use xeberdar_report::attachments::strip;

fuzz_target!(|data: &[u8]| {
    if let Ok((kind, stripped)) = strip(data) {
        match strip(&stripped) {
            Ok((again, _)) => assert_eq!(kind, again, "a stripped file changed kind"),
            Err(problem) => panic!("a stripped {kind:?} does not strip again: {problem:?}"),
        }
    }
});
