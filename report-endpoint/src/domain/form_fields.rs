/// A form read field by field from a request body (urlencoded or multipart), whichever
/// form it is: the reader sets each text field by its name.
pub trait FormFields: Default {
    /// Sets a field by its form name; unknown names are ignored.
    fn set(&mut self, name: &str, value: String);
}
