import Foundation
import Hummingbird
import Mustache

/// Renders the dashboard's pages from ``DashboardTemplates`` into HTML responses.
enum DashboardRenderer {
    /// The compiled templates. They are constants of this library: one that does not parse is a bug the
    /// dashboard's tests catch, not a condition a running service can meet.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in DashboardTemplates.all {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("the dashboard's template '\(name)' does not parse: \(error)")
            }
        }
        return library
    }()

    /// The page rendered with a template.
    ///
    /// - Parameters:
    ///   - page: The page's values.
    ///   - template: The template's name in ``DashboardTemplates/all``.
    /// - Returns: The HTML.
    static func html(_ page: Any, template: String) -> String {
        guard let html = library.render(page, withTemplate: template) else {
            preconditionFailure("the dashboard has no template '\(template)'")
        }
        return html
    }

    /// An HTML response of a rendered page, never cached.
    ///
    /// - Parameters:
    ///   - page: The page's values.
    ///   - template: The template's name.
    ///   - status: The response's status.
    static func response(_ page: Any, template: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html(page, template: template))))
    }

    /// `303 See Other` to `location`: after a form's POST, the browser loads the page with GET.
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
