"""Cross-cutting pieces every capability uses: config, database, security, errors, i18n."""
