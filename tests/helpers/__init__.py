"""What the tests share, one module a concern:

- `app`: the app as the command line builds it, on a server the test chose.
- `pages`: taking it to a page or a dialog, and pressing buttons, as a person does.
- `waiting`: waiting until the workers have answered and the screen shows it.
- `screen`: reading what the screen, a widget or a notification says.
- `forms`: cards to pay with, typing into fields and reading the errors beside them.
- `http`: transports that record or lose answers, and reading the server's state through its API.
- `faults`: a server that fails on purpose, or is killed, and purchases tried through it.
- `widgets`: bare apps around one widget.
"""
