0:{"a":"$@1","f":"","b":"ghcl_GbspBrhoOnDSl9lo"}
1:{"ok":true,"name":"bob"}
