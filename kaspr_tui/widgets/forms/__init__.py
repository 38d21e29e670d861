"""The pieces every form is made of: `FieldInput` (a text input that never holds a control
character), `FormField` (label, input, hint, error) and `CardInput` (the card's four fields)."""
