import Foundation
import B2CDevice

exit(ReferenceDevice.main(arguments: Array(CommandLine.arguments.dropFirst())))
