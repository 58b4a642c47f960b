2:"[project]/node_modules/next/dist/next-devtools/userspace/app/segment-explorer-node.js [app-client] (ecmascript)"
3:"/_next/static/chunks/node_modules_next_dist_11z0esw1whiw4._.js"
4:"/_next/static/chunks/_219uq1sj0q91c._.js"
5:I["$2",["$3","$4"],"SegmentViewNode"]
7:"$Sreact.fragment"
18:"[project]/node_modules/next/dist/client/components/layout-router.js [app-client] (ecmascript)"
19:I["$18",["$3","$4"],"default"]
1b:"[project]/node_modules/next/dist/client/components/render-from-template-context.js [app-client] (ecmascript)"
1c:I["$1b",["$3","$4"],"default"]
39:"[project]/app/Counter.js [app-client] (ecmascript)"
3a:"/_next/static/chunks/_0w2elj1dbms89._.js"
3b:I["$39",["$3","$3a","$4"],"default"]
42:"$Sreact.suspense"
4e:"[project]/node_modules/next/dist/lib/framework/boundary-components.js [app-client] (ecmascript)"
4f:I["$4e",["$3","$4"],"OutletBoundary"]
5d:"ViewportBoundary"
5e:I["$4e",["$3","$4"],"$5d"]
67:"MetadataBoundary"
68:I["$4e",["$3","$4"],"$67"]
9:D"$13"
9:D"$a"
9:D"$15"
1e:D"$20"
1e:D"$1f"
1e:D"$22"
1e:D"$21"
1e:D"$23"
1e:[["$","title",null,{"children":"404: This page could not be found."},"$21","$24",1],["$","div",null,{"style":{"fontFamily":"system-ui,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif,\"Apple Color Emoji\",\"Segoe UI Emoji\"","height":"100vh","textAlign":"center","display":"flex","flexDirection":"column","alignItems":"center","justifyContent":"center"},"children":["$","div",null,{"children":[["$","style",null,{"dangerouslySetInnerHTML":{"__html":"body{color:#000;background:#fff;margin:0}.next-error-h1{border-right:1px solid rgba(0,0,0,.3)}@media (prefers-color-scheme:dark){body{color:#fff;background:#000}.next-error-h1{border-right:1px solid rgba(255,255,255,.3)}}"}},"$21","$27",1],["$","h1",null,{"className":"next-error-h1","style":{"display":"inline-block","margin":"0 20px 0 0","padding":"0 23px 0 0","fontSize":24,"fontWeight":500,"verticalAlign":"top","lineHeight":"49px"},"children":404},"$21","$28",1],["$","div",null,{"style":{"display":"inline-block"},"children":["$","h2",null,{"style":{"fontSize":14,"fontWeight":400,"lineHeight":"49px","margin":0},"children":"This page could not be found."},"$21","$2a",1]},"$21","$29",1]]},"$21","$26",1]},"$21","$25",1]]
9:["$","html",null,{"lang":"en","children":["$","body",null,{"children":["$","$L19",null,{"parallelRouterKey":"children","error":"$undefined","errorStyles":"$undefined","errorScripts":"$undefined","template":["$","$L1c",null,{},null,"$1a",1],"templateStyles":"$undefined","templateScripts":"$undefined","notFound":["$","$L5","c-not-found",{"type":"not-found","pagePath":"__next_builtin__not-found.js","children":["$1e",[]]},null,"$1d",0],"forbidden":"$undefined","unauthorized":"$undefined","segmentViewBoundaries":[["$","$L5",null,{"type":"boundary:not-found","pagePath":"__next_builtin__not-found.js@boundary"},null,"$2b",1],"$undefined","$undefined",["$","$L5",null,{"type":"boundary:global-error","pagePath":"__next_builtin__global-error.js"},null,"$2c",1]]},null,"$17",1]},"$a","$16",1]},"$a","$14",1]
30:D"$34"
30:D"$31"
30:D"$36"
3c:["a","b"]
3e:{"id":"60510505193315bb045b3b7eb1fee503cdb30e3c07","bound":null,"name":"save","env":"Server","location":["module evaluation","/work/main/conformance/nextjs/next-16.5/.next/dev/server/chunks/ssr/_1dqm4vhpyyjo5._.js",36,239]}
44:D"$46"
44:D"$45"
30:["$","main",null,{"children":[["$","h1",null,{"children":"Hello"},"$31","$37",1],["$","$L3b",null,{"start":3,"when":"$D2026-01-01T00:00:00.000Z","tags":"$W3c","big":"$n12345678901234567890","list":[1,"two",null,"$undefined","$-0","$NaN"]},"$31","$38",1],["$","form",null,{"action":"$h3e","children":[["$","input",null,{"name":"name"},"$31","$3f",1],["$","button",null,{"children":"go"},"$31","$40",1]]},"$31","$3d",1],["$","$42",null,{"fallback":["$","p",null,{"children":"loading"},"$31","$43",0],"children":"$L44"},"$31","$41",1]]},"$31","$35",1]
48:D"$4b"
48:D"$49"
48:D"$4d"
48:["$","$L4f",null,{"children":["$","$42",null,{"name":"Next.MetadataOutlet","children":"$@51"},"$49","$50",1]},"$49","$4c",1]
2d:[["children",{"s":"__PAGE__","d":{"r":["$","$7","c",{"children":[["$","$L5","c-page",{"type":"page","pagePath":"page.js","children":"$30"},null,"$2f",1],[["$","script","script-0",{"src":"/_next/static/chunks/_0w2elj1dbms89._.js","async":true,"nonce":"$undefined"},null,"$47",0]],"$48"]},null,"$2e",0],"p":false,"v":null}}]]
53:D"$56"
53:D"$54"
53:D"$57"
53:null
58:D"$5a"
58:D"$59"
58:D"$5c"
5f:D"$61"
5f:D"$60"
58:["$","$L5e","u_FXGDFFNFLdtZxcfQ6JNv",{"children":"$L5f"},"$59","$5b",1]
62:D"$64"
62:D"$63"
62:D"$66"
6b:D"$6d"
6b:D"$6c"
6e:D"$70"
6e:D"$6f"
6e:D"$71"
6e:null
62:["$","$L68","u_FXGDFFNFLdtZxcfQ6JNm",{"children":[["$","div",null,{"hidden":true,"children":["$","$42",null,{"name":"Next.Metadata","children":"$L6b"},"$63","$6a",1]},"$63","$69",1],"$6e"]},"$63","$65",1]
0:{"q":"","i":true,"S":false,"r":"$undefined","b":"development","t":{"t":{"s":"","h":16,"d":{"r":["$","$L5","layout",{"type":"layout","pagePath":"layout.js","children":["$","$7","c",{"children":[[["$","script","script-0",{"src":"/_next/static/chunks/node_modules_next_dist_11z0esw1whiw4._.js","async":true,"nonce":"$undefined"},null,"$8",0]],"$9"]},null,"$6",1]},null,"$1",0],"p":false,"v":null},"c":"$Q2d"},"h":{"r":["$","$7","h",{"children":["$53","$58","$62"]},null,"$52",0],"p":false,"v":null}}}
5f:D"$72"
5f:[["$","meta","0",{"charSet":"utf-8"},"$49","$73",0],["$","meta","1",{"name":"viewport","content":"width=device-width, initial-scale=1"},"$49","$74",0]]
51:D"$75"
51:null
6b:D"$76"
6b:[]
44:D"$7a"
44:D"$7c"
44:D"$7d"
44:D"$7f"
44:["$","p",null,{"children":["slow done ","1970-01-01T00:00:00.000Z"]},"$45","$7e",1]
