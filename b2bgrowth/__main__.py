from b2bgrowth.cli.main import main

main()
