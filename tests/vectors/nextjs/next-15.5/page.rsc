1:"$Sreact.fragment"
2:I[9766,[],""]
3:I[8924,[],""]
4:I[4379,["974","static/chunks/app/page-018991d13e48fbe3.js"],"default"]
7:"$Sreact.suspense"
9:I[4431,[],"OutletBoundary"]
b:I[5278,[],"AsyncMetadataOutlet"]
d:I[4431,[],"ViewportBoundary"]
f:I[4431,[],"MetadataBoundary"]
5:["a","b"]
6:{"id":"602e4ce801c5b99b54f1fac5225c4b070574218986","bound":null}
0:{"b":"ghcl_GbspBrhoOnDSl9lo","f":[[["",{"children":["__PAGE__",{}]},"$undefined","$undefined",true],["",["$","$1","c",{"children":[null,["$","html",null,{"lang":"en","children":["$","body",null,{"children":["$","$L2",null,{"parallelRouterKey":"children","error":"$undefined","errorStyles":"$undefined","errorScripts":"$undefined","template":["$","$L3",null,{}],"templateStyles":"$undefined","templateScripts":"$undefined","notFound":[[["$","title",null,{"children":"404: This page could not be found."}],["$","div",null,{"style":{"fontFamily":"system-ui,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif,\"Apple Color Emoji\",\"Segoe UI Emoji\"","height":"100vh","textAlign":"center","display":"flex","flexDirection":"column","alignItems":"center","justifyContent":"center"},"children":["$","div",null,{"children":[["$","style",null,{"dangerouslySetInnerHTML":{"__html":"body{color:#000;background:#fff;margin:0}.next-error-h1{border-right:1px solid rgba(0,0,0,.3)}@media (prefers-color-scheme:dark){body{color:#fff;background:#000}.next-error-h1{border-right:1px solid rgba(255,255,255,.3)}}"}}],["$","h1",null,{"className":"next-error-h1","style":{"display":"inline-block","margin":"0 20px 0 0","padding":"0 23px 0 0","fontSize":24,"fontWeight":500,"verticalAlign":"top","lineHeight":"49px"},"children":404}],["$","div",null,{"style":{"display":"inline-block"},"children":["$","h2",null,{"style":{"fontSize":14,"fontWeight":400,"lineHeight":"49px","margin":0},"children":"This page could not be found."}]}]]}]}]],[]],"forbidden":"$undefined","unauthorized":"$undefined"}]}]}]]}],{"children":["__PAGE__",["$","$1","c",{"children":[["$","main",null,{"children":[["$","h1",null,{"children":"Hello"}],["$","$L4",null,{"start":3,"when":"$D2026-01-01T00:00:00.000Z","tags":"$W5","big":"$n12345678901234567890","list":[1,"two",null,"$undefined","$-0","$NaN"]}],["$","form",null,{"action":"$h6","children":[["$","input",null,{"name":"name"}],["$","button",null,{"children":"go"}]]}],["$","$7",null,{"fallback":["$","p",null,{"children":"loading"}],"children":"$L8"}]]}],null,["$","$L9",null,{"children":["$La",["$","$Lb",null,{"promise":"$@c"}]]}]]}],{},null,false]},null,false],["$","$1","h",{"children":[null,["$","$1","TPtBeiZF-zHWM-aGY8RCSv",{"children":[["$","$Ld",null,{"children":"$Le"}],null]}],["$","$Lf","TPtBeiZF-zHWM-aGY8RCSm",{"children":["$","div",null,{"hidden":true,"children":["$","$7",null,{"fallback":null,"children":"$L10"}]}]}]]}],false]],"S":false}
e:[["$","meta","0",{"charSet":"utf-8"}],["$","meta","1",{"name":"viewport","content":"width=device-width, initial-scale=1"}]]
a:null
c:{"metadata":[],"error":null,"digest":"$undefined"}
10:"$c:metadata"
8:["$","p",null,{"children":["slow done ","1970-01-01T00:00:00.000Z"]}]
