import B2CAreas
import B2CDevice
import Foundation

exit(ReferenceDevice.main(arguments: Array(CommandLine.arguments.dropFirst()), registry: BuiltInAreas.registry))
