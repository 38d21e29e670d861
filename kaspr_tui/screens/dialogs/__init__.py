"""The Dialog base and the app's modals: confirm, keys, config error, billing details, an invoice,
where invoices were saved, which year to save."""
