//! Types that can only hold valid values ("parse, don't validate"): once a handler holds a
//! [`Tip`], every field is within its bounds and free of control characters, so the code
//! that seals it never has to re-check.

mod follow_up_form;
mod form_fields;
mod lang;
mod reference_code;
mod text;
mod tip;

pub use follow_up_form::{Addition, RawFollowUpForm};
pub use form_fields::FormFields;
pub use lang::{Lang, Languages};
pub use reference_code::ReferenceCode;
pub use text::{BoundedText, TextError};
pub use tip::{form_lang, FieldError, PassedCheck, RawTipForm, Tip, TipKind, FIELD_NAMES};
