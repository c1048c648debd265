"""The `/_mock` control plane: nothing a real provider would answer lives here."""
