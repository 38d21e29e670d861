"""Pages and modals: they own the workers that talk to the billing API, and reach the app through `AppHost`."""
