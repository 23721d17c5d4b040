import Glibc

// Model-metadata routes of local servers on the mock: llama.cpp's `GET /props` (context
// size) and LM Studio's `GET /api/v0/models` (context, type, load state per model).

/// Constants of the mock's metadata routes, for tests.
public enum MockMetadata {
    /// The `default_generation_settings.n_ctx` `/props` reports.
    public static let llamaCppContext = 16384
    /// The `max_context_length` `/api/v0/models` reports for every served model.
    public static let lmStudioContext = 65536
}

extension MockResponder {
    /// Answers the metadata routes; `nil` for any other path.
    func respondMetadata(to request: RecordedRequest) -> ExchangeOutcome? {
        switch (request.method, request.path) {
        case ("GET", "/props"):
            let body = #"{"default_generation_settings":{"n_ctx":\#(MockMetadata.llamaCppContext),"params":{}},"#
                + #""total_slots":1,"model_path":"mock.gguf"}"#
            return sendMetadata(body)
        case ("GET", "/api/v0/models"):
            // The first served model is loaded, the others are not.
            let entries = configuration.models.enumerated().map { position, name in
                #"{"id":"\#(jsonEscaped(name))","object":"model","type":"llm","publisher":"mock","#
                    + #""state":"\#(position == 0 ? "loaded" : "not-loaded")","#
                    + #""max_context_length":\#(MockMetadata.lmStudioContext)}"#
            }
            return sendMetadata(#"{"object":"list","data":[\#(entries.joined(separator: ","))]}"#)
        default:
            return nil
        }
    }

    private func sendMetadata(_ body: String) -> ExchangeOutcome {
        let bytes = Array(body.utf8)
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
        if MockSocket.sendAll(fd, Array(head.utf8) + bytes) { return .completed }
        return isStopping() ? .serverStopped : .clientDisconnected
    }
}
