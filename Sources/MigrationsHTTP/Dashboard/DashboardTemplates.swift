/// The dashboard's Mustache templates, compiled into the library so an application that embeds it ships
/// no resource files.
///
/// Every value is rendered with `{{…}}`, which HTML-escapes `&`, `<`, `>`, `"` and `'`; the views make
/// control and bidirectional characters visible before that (``Migrations/VisibleText``). No template uses
/// `{{{…}}}` or `{{&…}}`, which would not escape; a test keeps it so.
enum DashboardTemplates {
    /// Each template by name: `head` and `foot` are the partials every page starts and ends with.
    static let all: [String: String] = [
        "head": head, "foot": foot, "list": list, "detail": detail, "confirm": confirm, "login": login,
        "message": message,
    ]

    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>{{title}}</title>
        <link rel="stylesheet" href="{{cssPath}}">
        {{#live}}<noscript><meta http-equiv="refresh" content="5"></noscript>
        <script src="{{jsPath}}" defer></script>{{/live}}
        </head>
        <body{{#live}} data-events="{{eventsPath}}"{{/live}}>
        <header class="top">
        <a class="brand" href="{{basePath}}">Migrations</a>
        {{#isSignedIn}}<span class="who">Signed in as {{actor}}</span>
        <form method="post" action="{{logoutPath}}" class="inline">
        <input type="hidden" name="csrf" value="{{csrfToken}}"><button type="submit" class="link">Sign out</button>
        </form>{{/isSignedIn}}
        </header>
        <main>
        {{#hasNotice}}<p class="notice{{#noticeIsError}} notice-error{{/noticeIsError}}" role="status" id="notice">{{notice}}</p>{{/hasNotice}}

        """

    static let foot = """
        </main>
        </body>
        </html>

        """

    static let stateBadge = """
        <span class="badge badge-{{state}}" data-field="state"><span aria-hidden="true">{{stateSymbol}}</span> {{stateLabel}}</span>
        """

    static let progressBar = """
        {{#hasTotal}}<progress value="{{progressValue}}" max="{{progressMax}}">{{percent}}</progress>{{/hasTotal}}\
        {{^hasTotal}}<progress>running</progress>{{/hasTotal}}
        """

    static let list = """
        {{#chrome}}{{> head}}{{/chrome}}
        <h1>Migrations</h1>
        <p class="summary">{{summary}} <span id="live-status" class="live-status" aria-live="polite"></span></p>
        <div id="live">
        <table class="migrations">
        <caption>Every registered migration, in run order</caption>
        <thead><tr><th scope="col">#</th><th scope="col">Migration</th><th scope="col">State</th>\
        <th scope="col">Progress</th><th scope="col">Last run</th><th scope="col">Actions</th></tr></thead>
        <tbody>
        {{#migrations}}
        <tr data-position="{{position}}" data-state="{{rawState}}" data-control="{{controlAction}}" class="state-{{state}}">
        <td data-label="#">{{position}}</td>
        <td data-label="Migration"><a href="{{link}}" class="name">{{name}}</a>\
        {{#hasDescription}}<div class="description">{{description}}</div>{{/hasDescription}}</td>
        <td data-label="State">\(stateBadge)\
        {{#hasControl}}<div class="control">{{control}}</div>{{/hasControl}}\
        {{#hasError}}<div class="error"><strong>{{failureKind}}</strong> {{error}}</div>{{/hasError}}</td>
        <td data-label="Progress">{{#hasProgress}}\(progressBar) <span class="percent" data-field="percent">{{percent}}</span>\
        <div class="progress-text" data-field="progress">{{progressText}}</div>{{/hasProgress}}\
        {{#hasHolder}}<div class="holder">held by {{holder}}</div>{{/hasHolder}}\
        {{#hasShards}}<div class="shards">{{shards}}</div>{{/hasShards}}</td>
        <td data-label="Last run">{{#hasLastRun}}{{lastRun}}{{/hasLastRun}}{{^hasLastRun}}never run{{/hasLastRun}}</td>
        <td data-label="Actions" class="actions">{{#actions}}\
        <a class="button{{#isDestructive}} destructive{{/isDestructive}}" href="{{href}}">{{label}}</a> {{/actions}}</td>
        </tr>
        {{/migrations}}
        </tbody>
        </table>
        </div>
        {{#chrome}}{{> foot}}{{/chrome}}
        """

    static let detail = """
        {{#chrome}}{{> head}}{{/chrome}}
        <p><a href="{{backLink}}">← All migrations</a></p>
        <div id="live">
        {{#detail}}{{#migration}}
        <h1 class="name">{{name}}</h1>
        {{#hasDescription}}<p class="description">{{description}}</p>{{/hasDescription}}
        <div data-position="{{position}}" data-state="{{rawState}}" data-control="{{controlAction}}" class="state-{{state}}">
        <dl class="facts">
        <dt>State</dt><dd>\(stateBadge)</dd>
        <dt>Position</dt><dd>{{position}}</dd>
        {{#hasControl}}<dt>Operator's request</dt><dd class="control">{{control}}</dd>{{/hasControl}}
        {{#hasHolder}}<dt>Held by</dt><dd class="holder">{{holder}}</dd>{{/hasHolder}}
        {{#hasProgress}}<dt>Progress</dt><dd>\(progressBar) <span class="percent" data-field="percent">{{percent}}</span>\
        <div class="progress-text" data-field="progress">{{progressText}}</div></dd>{{/hasProgress}}
        {{#hasShards}}<dt>Shards</dt><dd class="shards">{{shards}}</dd>{{/hasShards}}
        <dt>Last run</dt><dd>{{#hasLastRun}}{{lastRun}}{{/hasLastRun}}{{^hasLastRun}}never run{{/hasLastRun}}</dd>
        {{#hasError}}<dt>Last error</dt><dd class="error"><strong>{{failureKind}}</strong> {{error}}</dd>{{/hasError}}
        </dl>
        {{#hasActions}}<p class="actions">{{#actions}}\
        <a class="button{{#isDestructive}} destructive{{/isDestructive}}" href="{{href}}">{{label}}</a> {{/actions}}</p>{{/hasActions}}
        </div>
        {{/migration}}
        <h2>Checkpoint</h2>
        {{#hasCheckpoint}}<pre class="value">{{checkpoint}}</pre>{{/hasCheckpoint}}\
        {{^hasCheckpoint}}<p>No checkpoint: the next attempt starts from the beginning.</p>{{/hasCheckpoint}}
        {{#hasShardRows}}
        <h2>Shards</h2>
        <table class="shards-table">
        <thead><tr><th scope="col">Shard</th><th scope="col">State</th><th scope="col">Progress</th>\
        <th scope="col">Holder or completed by</th></tr></thead>
        <tbody>
        {{#shards}}<tr class="state-{{state}}"><td data-label="Shard">{{index}}</td><td data-label="State">\(stateBadge)\
        {{#hasError}}<div class="error">{{error}}</div>{{/hasError}}</td>
        <td data-label="Progress">{{#hasProgress}}\(progressBar) \
        {{percent}} {{items}}{{/hasProgress}}</td><td data-label="Holder">{{who}}</td></tr>
        {{/shards}}
        </tbody>
        </table>
        {{/hasShardRows}}
        <h2>History</h2>
        {{#hasHistory}}
        <table class="history">
        <caption>The last attempts, newest first</caption>
        <thead><tr><th scope="col">Finished</th><th scope="col">Outcome</th><th scope="col">By</th>\
        <th scope="col">Where</th><th scope="col">Duration</th><th scope="col">Records</th></tr></thead>
        <tbody>
        {{#history}}<tr><td data-label="Finished">{{finishedAt}}</td><td data-label="Outcome">{{status}} {{failure}}\
        {{#hasError}}<div class="error">{{error}}</div>{{/hasError}}</td><td data-label="By">{{by}}</td>\
        <td data-label="Where">{{place}}</td><td data-label="Duration">{{duration}}</td><td data-label="Records">{{records}}</td></tr>
        {{/history}}
        </tbody>
        </table>
        {{/hasHistory}}
        {{^hasHistory}}<p>No attempt recorded yet.</p>{{/hasHistory}}
        <h2>Stored keys</h2>
        {{#hasKeys}}
        <table class="keys">
        <thead><tr><th scope="col">Key</th><th scope="col">Type</th><th scope="col">TTL</th><th scope="col">Value</th></tr></thead>
        <tbody>
        {{#keys}}<tr><td data-label="Key"><code>{{name}}</code></td><td data-label="Type">{{type}}</td>\
        <td data-label="TTL">{{ttl}}</td><td data-label="Value"><pre class="value">{{value}}</pre></td></tr>
        {{/keys}}
        </tbody>
        </table>
        {{/hasKeys}}
        {{^hasKeys}}<p>{{keysUnavailable}}</p>{{/hasKeys}}
        {{/detail}}
        </div>
        {{#chrome}}{{> foot}}{{/chrome}}
        """

    static let confirm = """
        {{#chrome}}{{> head}}{{/chrome}}
        <section class="confirm{{#isDestructive}} destructive-zone{{/isDestructive}}">
        <h1>{{actionLabel}} <span class="name">{{name}}</span>?</h1>
        {{#isDestructive}}<p class="warning"><strong>Destructive.</strong></p>{{/isDestructive}}
        <p>{{consequence}}</p>
        <form method="post" action="{{formAction}}">
        <input type="hidden" name="csrf" value="{{csrfToken}}">
        {{#needsTypedName}}<p><label for="confirmation">Type the migration's name to confirm</label>
        <input id="confirmation" name="confirmation" autocomplete="off" spellcheck="false" required></p>{{/needsTypedName}}
        <button type="submit" id="confirm" class="button{{#isDestructive}} destructive{{/isDestructive}}">{{actionLabel}}</button>
        <a href="{{backLink}}" class="button secondary">Back</a>
        </form>
        </section>
        {{#chrome}}{{> foot}}{{/chrome}}
        """

    static let login = """
        {{#chrome}}{{> head}}{{/chrome}}
        <section class="login">
        <h1>Sign in</h1>
        {{#hasError}}<p class="notice notice-error" role="alert">{{error}}</p>{{/hasError}}
        <form method="post" action="{{loginPath}}">
        <p><label for="token">Access token</label>
        <input type="password" id="token" name="token" autocomplete="current-password" required autofocus></p>
        <button type="submit" class="button" id="sign-in">Sign in</button>
        </form>
        <p class="hint">Use the token the service accepts for its /migrations API.</p>
        </section>
        {{#chrome}}{{> foot}}{{/chrome}}
        """

    static let message = """
        {{#chrome}}{{> head}}{{/chrome}}
        <h1>{{heading}}</h1>
        <p>{{text}}</p>
        <p><a href="{{backLink}}">Back to the dashboard</a></p>
        {{#chrome}}{{> foot}}{{/chrome}}
        """
}
