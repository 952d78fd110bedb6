//! The Xəbərdar anonymous report endpoint.
