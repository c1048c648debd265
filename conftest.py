pytest_plugins = ["contracts.kit"]
