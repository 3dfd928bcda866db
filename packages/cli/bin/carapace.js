#!/usr/bin/env node
// `image` and `keyprovider` commands load only the image packages (a guest's pull starts fast).
const argv = process.argv.slice(2)
if (argv[0] === 'image' || argv[0] === 'keyprovider') {
  const { imageMain } = await import('../dist/image-main.js')
  process.exitCode = await imageMain(argv)
} else {
  const { main } = await import('../dist/main.js')
  process.exitCode = await main(argv)
}
