// Runs the server from the compiled modules (node dist/src/main.js). npm start, the package's bin
// and the Docker image run bin.cjs instead, which runs the same code bundled into one script.
import { main } from './cli.js'

await main()
