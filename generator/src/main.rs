fn main() {
    println!("xeberdar: under construction");
}
