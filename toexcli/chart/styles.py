"""How each node type looks and what other tools call it."""

# type: (colour, cytoscape shape, legend label)
NODE_STYLE = {
    "phone": ("#2563eb", "ellipse", "Phone"),
    "person": ("#dc2626", "round-rectangle", "Person"),
    "vehicle": ("#16a34a", "diamond", "Vehicle"),
    "account": ("#d97706", "rectangle", "Account"),
    "wallet": ("#7c3aed", "hexagon", "Wallet"),
    "email": ("#0891b2", "triangle", "Email"),
    "address": ("#92400e", "star", "Address"),
    "entity": ("#6b7280", "barrel", "Name / other"),
    "group": ("#94a3b8", "ellipse", "Group of contacts"),
}

# Maltego standard entity types (the type names its transforms and table import use).
MALTEGO_TYPE = {
    "phone": "maltego.PhoneNumber",
    "person": "maltego.Person",
    "vehicle": "maltego.Vehicle",  # no core-catalog vehicle; see the README
    "account": "maltego.BankAccount",
    "wallet": "maltego.CryptocurrencyAddress",
    "email": "maltego.EmailAddress",
    "address": "maltego.Location",
    "entity": "maltego.Phrase",
    "group": "maltego.Phrase",
}

# i2 Analyst's Notebook entity types (names of the standard icons in its default semantic set).
I2_TYPE = {
    "phone": "Telephone",
    "person": "Person",
    "vehicle": "Vehicle",
    "account": "Account",
    "wallet": "Cryptocurrency Wallet",
    "email": "Email Address",
    "address": "Address",
    "entity": "Entity",
    "group": "Group",
}


def colour(kind: str) -> str:
    return NODE_STYLE.get(kind, NODE_STYLE["entity"])[0]
