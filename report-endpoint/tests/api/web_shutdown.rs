//! Graceful shutdown: once asked to stop, the endpoint accepts no new connection but
//! finishes the request already in flight, so a tipster mid-upload gets an answer.

use crate::web_common;

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use web_common::test_settings;
use xeberdar_report::startup::Application;

#[tokio::test]
async fn a_request_in_flight_is_answered_after_shutdown_begins() {
    let data = tempfile::tempdir().unwrap();
    let app = Application::build(test_settings(data.path()))
        .await
        .unwrap();
    let port = app.port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));

    // A POST whose body is not sent yet. `Expect: 100-continue` makes the server say when
    // the handler starts reading the body: from then on the request is in flight.
    let body = "lang=en&description=&contact=half-sent";
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let head = format!(
        "POST /report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut interim = Vec::new();
    while !interim.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8; 1];
        let n = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut byte))
            .await
            .expect("100 Continue")
            .unwrap();
        assert_eq!(n, 1, "connection closed early");
        interim.push(byte[0]);
    }
    assert!(
        interim.starts_with(b"HTTP/1.1 100"),
        "{}",
        String::from_utf8_lossy(&interim)
    );

    stop.send(()).unwrap();
    // Shutdown has begun once new connections are refused.
    let mut refused = false;
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "the listener closes on shutdown");

    stream.write_all(body.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer))
        .await
        .expect("an answer")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 422"), "{answer}");
    assert!(answer.contains("value=\"half-sent\""));
    tokio::time::timeout(Duration::from_secs(30), server)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
}
