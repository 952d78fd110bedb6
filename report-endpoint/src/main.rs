fn main() {
    println!("xeberdar-report: under construction");
}
