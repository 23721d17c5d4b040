print("swiftcoder")
