1:"$Sreact.fragment"
2:"/_next/static/chunks/12zzghlqdi8c5.js"
3:I[39756,["$2"],"default"]
4:I[37457,["$2"],"default"]
6:"/_next/static/chunks/3zzbc8826-a3l.js"
7:I[37558,["$2","$6"],"default"]
a:"$Sreact.suspense"
c:I[97367,["$2"],"OutletBoundary"]
e:"ViewportBoundary"
f:I[97367,["$2"],"$e"]
11:"MetadataBoundary"
12:I[97367,["$2"],"$11"]
8:["a","b"]
9:{"id":"609829958926aada68162e4b60e551407e47f222ff","bound":null}
5:[["children",{"s":"__PAGE__","d":{"r":["$","$1","c",{"children":[["$","main",null,{"children":[["$","h1",null,{"children":"Hello"}],["$","$L7",null,{"start":3,"when":"$D2026-01-01T00:00:00.000Z","tags":"$W8","big":"$n12345678901234567890","list":[1,"two",null,"$undefined","$-0","$NaN"]}],["$","form",null,{"action":"$h9","children":[["$","input",null,{"name":"name"}],["$","button",null,{"children":"go"}]]}],["$","$a",null,{"fallback":["$","p",null,{"children":"loading"}],"children":"$Lb"}]]}],[["$","script","script-0",{"src":"/_next/static/chunks/3zzbc8826-a3l.js","async":true,"nonce":"$undefined"}]],["$","$Lc",null,{"children":["$","$a",null,{"name":"Next.MetadataOutlet","children":"$@d"}]}]]}],"p":false,"v":null}}]]
0:{"q":"","i":false,"S":false,"r":"$undefined","b":"RMn7x2xCnE2Afbls3QE11","t":{"t":{"s":"","h":16,"d":{"r":["$","$1","c",{"children":[[["$","script","script-0",{"src":"/_next/static/chunks/12zzghlqdi8c5.js","async":true,"nonce":"$undefined"}]],["$","html",null,{"lang":"en","children":["$","body",null,{"children":["$","$L3",null,{"parallelRouterKey":"children","error":"$undefined","errorStyles":"$undefined","errorScripts":"$undefined","template":["$","$L4",null,{}],"templateStyles":"$undefined","templateScripts":"$undefined","notFound":[[["$","title",null,{"children":"404: This page could not be found."}],["$","div",null,{"style":{"fontFamily":"system-ui,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif,\"Apple Color Emoji\",\"Segoe UI Emoji\"","height":"100vh","textAlign":"center","display":"flex","flexDirection":"column","alignItems":"center","justifyContent":"center"},"children":["$","div",null,{"children":[["$","style",null,{"dangerouslySetInnerHTML":{"__html":"body{color:#000;background:#fff;margin:0}.next-error-h1{border-right:1px solid rgba(0,0,0,.3)}@media (prefers-color-scheme:dark){body{color:#fff;background:#000}.next-error-h1{border-right:1px solid rgba(255,255,255,.3)}}"}}],["$","h1",null,{"className":"next-error-h1","style":{"display":"inline-block","margin":"0 20px 0 0","padding":"0 23px 0 0","fontSize":24,"fontWeight":500,"verticalAlign":"top","lineHeight":"49px"},"children":404}],["$","div",null,{"style":{"display":"inline-block"},"children":["$","h2",null,{"style":{"fontSize":14,"fontWeight":400,"lineHeight":"49px","margin":0},"children":"This page could not be found."}]}]]}]}]],[]],"forbidden":"$undefined","unauthorized":"$undefined"}]}]}]]}],"p":false,"v":null},"c":"$Q5"},"h":{"r":["$","$1","h",{"children":[null,["$","$Lf","xR9diA9MC8syEg5Jv3wMcv",{"children":"$L10"}],["$","$L12","xR9diA9MC8syEg5Jv3wMcm",{"children":[["$","div",null,{"hidden":true,"children":["$","$a",null,{"name":"Next.Metadata","children":"$L13"}]}],null]}]]}],"p":false,"v":null}}}
10:[["$","meta","0",{"charSet":"utf-8"}],["$","meta","1",{"name":"viewport","content":"width=device-width, initial-scale=1"}]]
d:null
13:[]
b:["$","p",null,{"children":["slow done ","1970-01-01T00:00:00.000Z"]}]
