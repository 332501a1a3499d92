import Foundation
import JSONValues

/// `ml data publish`: an export directory uploaded to a Hugging Face Hub dataset repository through the real
/// `huggingface_hub` client (the tools' Python, a child process), laid out as the reference lays it out: each
/// `SPLIT.parquet` under `data/`, the dataset card `README.md` and `manifest.json` at the root. The repository is
/// created if missing (`--private` applies then), each file is its own commit, so a file the Hub refuses is named
/// and the others still go. The token reaches the child through its environment, never its arguments, and is
/// scrubbed from anything the child says.
package enum HubPublisher {
    /// One file to upload.
    package struct Upload: Sendable, Hashable {
        package var local: URL
        /// Its path in the repository.
        package var remote: String
        package var bytes: Int
    }

    /// What became of one file.
    package struct Outcome: Sendable, Hashable {
        package var remote: String
        /// Nil when it was uploaded; else why not.
        package var error: String?
    }

    /// The Hub used unless `--endpoint` or `HF_ENDPOINT` says otherwise.
    package static let defaultEndpoint = "https://huggingface.co"

    /// The files of an export directory to upload, in upload order (splits, then the card and the manifest).
    /// A directory without a Parquet split is refused: it is not a Parquet export.
    package static func plan(directory: String) throws -> [Upload] {
        let folder = URL(fileURLWithPath: directory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataPipelineError(.input, "\(directory): no such directory")
        }
        var uploads: [Upload] = []
        for name in ["train.parquet", "valid.parquet", "test.parquet", "README.md", "manifest.json"] {
            let url = folder.appendingPathComponent(name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                  attributes[.type] as? FileAttributeType == .typeRegular
            else { continue }
            uploads.append(Upload(local: url, remote: DatasetCard.repositoryPath(name),
                                  bytes: (attributes[.size] as? Int) ?? 0))
        }
        guard uploads.contains(where: { $0.remote.hasSuffix(".parquet") }) else {
            throw DataPipelineError(
                .input, "\(directory): no train/valid/test .parquet file (make one with ml data export --format parquet)")
        }
        return uploads
    }

    /// `ORG/NAME`: letters, digits, `-`, `_`, `.`; neither part starting or ending with `-` or `.`, no `--` or `..`.
    package static func validateRepository(_ repository: String) throws {
        let parts = repository.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        let valid = parts.count == 2 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 96 && part.allSatisfy(allowed.contains)
                && !"-.".contains(part.first ?? "-") && !"-.".contains(part.last ?? "-")
                && !part.contains("--") && !part.contains("..")
        }
        guard valid else {
            throw DataPipelineError(.invalidArgument, "--repo '\(repository)': ORG/NAME expected (letters, digits, -, _, .)")
        }
    }

    /// `--endpoint`, else `HF_ENDPOINT`, else the public Hub; an http(s) URL without a trailing slash.
    package static func endpoint(_ explicit: String?, environment: [String: String]) throws -> String {
        let chosen = [explicit, environment["HF_ENDPOINT"]].compactMap { $0 }.first { !$0.isEmpty } ?? defaultEndpoint
        guard let url = URL(string: chosen), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
              url.host?.isEmpty == false
        else {
            throw DataPipelineError(.invalidArgument, "--endpoint '\(chosen)': an http(s) URL expected")
        }
        return chosen.hasSuffix("/") ? String(chosen.dropLast()) : chosen
    }

    /// `--token`, else `HF_TOKEN`, else the token file huggingface_hub writes: `HF_TOKEN_PATH`, else
    /// `$HF_HOME/token` (default `~/.cache/huggingface/token`). Nil when none is set.
    package static func token(_ explicit: String?, environment: [String: String], home: String = NSHomeDirectory())
        -> String?
    {
        func nonEmpty(_ text: String?) -> String? {
            guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
            return trimmed
        }
        if let token = nonEmpty(explicit) ?? nonEmpty(environment["HF_TOKEN"]) { return token }
        let hfHome = nonEmpty(environment["HF_HOME"]) ?? (home as NSString).appendingPathComponent(".cache/huggingface")
        let file = nonEmpty(environment["HF_TOKEN_PATH"]) ?? (hfHome as NSString).appendingPathComponent("token")
        return nonEmpty(try? String(contentsOfFile: file, encoding: .utf8))
    }

    /// Creates the repository if needed and uploads each file; returns one outcome per file. Throws when the
    /// repository cannot be created or reached (a refused token among them), before any file.
    package static func publish(_ uploads: [Upload], repository: String, endpoint: String, token: String,
                                private isPrivate: Bool, python: ToolsPython) async throws -> [Outcome]
    {
        var arguments = [repository, endpoint, isPrivate ? "private" : "public"]
        for upload in uploads { arguments += [upload.local.path, upload.remote] }
        let result = try await python.run(Self.program, arguments, environment: [
            "SWIFT_ML_HUB_TOKEN": token, "HF_HUB_DISABLE_TELEMETRY": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1",
        ])
        let scrub = { (text: String) in text.replacingOccurrences(of: token, with: "[token]") }
        if result.status == 4 { throw DataPipelineError(.toolMissing, scrub(result.errorExcerpt())) }
        var outcomes: [Outcome] = []
        for line in result.outputText.split(separator: "\n") {
            guard let reply = JSONValue.parse(String(line)) else { continue }
            let error = reply["error"]?.stringValue.map(scrub)
            if reply["stage"]?.stringValue == "create_repo" {
                throw DataPipelineError(.hub, "cannot create or reach the dataset repository \(repository) at "
                                        + "\(endpoint): \(error ?? "unknown error")")
            }
            if let path = reply["path"]?.stringValue { outcomes.append(Outcome(remote: path, error: error)) }
        }
        guard result.status == 0 else {
            throw DataPipelineError(.hub, "the upload to \(repository) failed (exit \(result.status)): \(scrub(result.errorExcerpt()))")
        }
        for upload in uploads where !outcomes.contains(where: { $0.remote == upload.remote }) {
            outcomes.append(Outcome(remote: upload.remote, error: "no answer from the uploader"))
        }
        return outcomes
    }

    /// The child: one JSON line per file (`{"path", "error"?}`), or `{"stage": "create_repo", "error"}` and exit 5.
    static let program = #"""
        import json, os, sys
        try:
            from huggingface_hub import HfApi
        except ImportError as error:
            sys.stderr.write(f"the huggingface_hub package is not installed for {sys.executable} ({error}): run scripts/setup\n")
            sys.exit(4)
        repo, endpoint, visibility = sys.argv[1], sys.argv[2], sys.argv[3]
        files = list(zip(sys.argv[4::2], sys.argv[5::2]))
        api = HfApi(endpoint=endpoint, token=os.environ.pop("SWIFT_ML_HUB_TOKEN"))

        def describe(error):
            response = getattr(error, "response", None)
            status = getattr(response, "status_code", None)
            detail = getattr(error, "server_message", None) or str(error).splitlines()[0]
            return f"HTTP {status}: {detail}" if status else f"{type(error).__name__}: {detail}"

        try:
            api.create_repo(repo, repo_type="dataset", private=visibility == "private", exist_ok=True)
        except Exception as error:
            print(json.dumps({"stage": "create_repo", "error": describe(error)}), flush=True)
            sys.exit(5)
        for local, remote in files:
            try:
                api.upload_file(path_or_fileobj=local, path_in_repo=remote, repo_id=repo, repo_type="dataset",
                                commit_message=f"Upload {remote} (ml data publish)")
                print(json.dumps({"path": remote}), flush=True)
            except Exception as error:
                print(json.dumps({"path": remote, "error": describe(error)}), flush=True)
        """#
}
