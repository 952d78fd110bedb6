//! The Xəbərdar static site generator.
