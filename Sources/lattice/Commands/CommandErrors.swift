import ArgumentParser
import Foundation
import LatticeNN
import LatticeRuntime

/// Maps errors to the CLI's exit codes: 2 for bad usage or config (with the error's own message, which
/// names file, line and column), 1 for failures at run time.
enum CommandErrors {
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as ConfigError {
            fail(e.description, code: 2, prefixed: true)
        } catch let e as RegistryError {
            fail(e.description, code: 2)
        } catch let e as ShapeError {
            fail(e.description, code: 2)
        } catch let e as ValidationError {
            throw e
        } catch let e as ExitCode {
            throw e
        } catch let e as CleanExit {
            throw e
        } catch {
            fail("\(error)", code: 1)
        }
    }

    static func fail(_ message: String, code: Int32, prefixed: Bool = false) -> Never {
        FileHandle.standardError.write(Data(((prefixed ? "" : "error: ") + message + "\n").utf8))
        exit(code)
    }
}
