0:{"a":"$@1","q":"","i":false,"b":"RMn7x2xCnE2Afbls3QE11"}
1:{"ok":true,"name":"bob"}
